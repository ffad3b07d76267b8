import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';

/**
 * A cdk8s App whose synth time grows linearly with the number of charts.
 *
 * cdk8s's `App.synth()` writes each chart through `Chart.toJson()`, and each of those validates
 * every construct of the whole app and resolves the whole app's dependencies again: with one
 * chart per namespace (a workshop with a copy of each tutorial per attendee), synth time grows
 * with the square of the number of charts (50 copies of the 18 tutorials: 900 whole-app passes).
 * This synth does the validation and dependency pass once, then renders and writes each chart
 * exactly as cdk8s does (the same objects, order, file names and YAML; test/synth.test.ts
 * compares the two). Other output types than one file per chart, and construct metadata, are
 * left to cdk8s.
 */
export class LinearApp extends App {
  /** App's own setting is private; read the same way. */
  private readonly withMetadata: boolean;

  constructor(props: AppProps = {}) {
    super(props);
    this.withMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  override synth(): void {
    if (this.yamlOutputType !== YamlOutputType.FILE_PER_CHART || this.withMetadata) {
      super.synth();
      return;
    }
    fs.mkdirSync(this.outdir, { recursive: true });
    const documents = this.chartDocuments();
    // cdk8s numbers the files (0000-<chart>) when a chart depends on another or holds one.
    const indexed = [...documents.keys()].some((c) => c.node.dependencies.some((d) => d instanceof Chart));
    let index = 0;
    for (const [chart, docs] of documents) {
      const name = `${indexed ? `${(index++).toString().padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
      Yaml.save(path.join(this.outdir, name + this.outputFileExtension), docs);
    }
  }

  /**
   * The documents of every chart, in the order `synth()` writes them, after one validation and
   * dependency pass over the app (it throws what cdk8s's synth throws for an invalid construct).
   */
  chartDocuments(): Map<Chart, unknown[]> {
    const first = this.node.findAll().find((c): c is Chart => c instanceof Chart);
    const documents = new Map<Chart, unknown[]>();
    if (first === undefined) return documents;
    // Chart.toJson() validates the app and resolves its dependencies; once is enough.
    const firstDocs = first.toJson();
    for (const chart of this.charts) {
      documents.set(
        chart,
        // Stryker disable next-line ConditionalExpression: equivalent, as the graph gives the first chart the documents toJson() gave; reusing them saves one render
        chart === first
          ? firstDocs
          : new DependencyGraph(chart.node)
              .topology()
              .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
              .map((o) => o.toJson()),
      );
    }
    return documents;
  }
}
