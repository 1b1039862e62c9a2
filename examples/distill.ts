// examples/distill.ts — run with: npx tsx examples/distill.ts
import { resolveConfig, runExperiment, writeReport } from 'qdistill';

const config = resolveConfig({
  name: 'readme-distill',
  seeds: [1],
  data: { type: 'mnist', classes: [0, 1], perClass: { train: 20, val: 10, test: 20 }, size: 4 },
  training: { epochs: 3, batchSize: 10, lr: 0.1 },
  teacher: { model: { qubits: 16, ansatz: { type: 'ry', layers: 2 }, readout: { type: 'qubits', qubits: [5, 10] }, maxBond: 8 } },
  students: [{ name: 's4', input: { kind: 'pca', components: 4 },
               model: { qubits: 4, ansatz: { type: 'ry', layers: 2 }, readout: { type: 'qubits', qubits: [1, 2] } } }],
  methods: ['label', 'kd'],
  kd: { T: 2, alpha: 0.5 },
});
// force: a second run of this example replaces the first (a finished study is otherwise kept)
const { results, outDir } = await runExperiment(config, { workers: 1, resume: false, force: true, progress: 'none', quick: false });
for (const run of results.runs) console.log(run.name, run.method, run.final.test_accuracy);
await writeReport(results, outDir);   // results/readme-distill/: table.md, figures (SVG + PNG), report.html
