import { App, TerraformStack } from 'cdktf';

// The GKE stack lands with the infrastructure issue; until then the app synthesizes one empty,
// valid stack so that `npm run synth` runs both apps end to end.
const app = new App();
new TerraformStack(app, 'tutorials-gke');
app.synth();
