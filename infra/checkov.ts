import { TerraformResource } from 'cdktf';
import { checkCheckovId } from '../lib/shared';

/**
 * Suppresses one checkov check on one resource, with the reason (decision D10: every skipped
 * check says why, next to what it concerns). checkov 3.3 honours no suppression inside Terraform
 * JSON, so `npm run scan` (scripts/scan/) reads this marker itself: it reports the check as
 * skipped with the reason, and fails when the marker names a check that did not run on the
 * resource or gives no reason. cdktf writes it into the resource's `"//"` metadata, which
 * Terraform ignores.
 */
export function skipCheck(resource: TerraformResource, check: string, reason: string): void {
  checkCheckovId(check);
  if (reason.trim() === '') throw new Error(`skipCheck: ${check} on ${resource.node.path} needs a reason`);
  resource.addOverride(`//.checkov.skip.${check}`, reason);
}
