/**
 * A tiny study config on blob data with a labelled + transfer regime (3 labelled and 6 transfer
 * samples per class), a 4-qubit teacher and one 2-qubit student: small enough to resolve and run
 * in a test. `methods` and `name` vary by test.
 */
export function blobTransferConfig(name: string, methods: string[]) {
  return {
    name, seeds: [1],
    data: { type: 'blobs', classes: 2, features: 4, nTrain: 24, nVal: 6, nTest: 8, separation: 2, labelled: 3, transfer: 6 },
    training: { epochs: 2, batchSize: 4, lr: 0.1 },
    teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 } } },
    students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 2 } }],
    methods,
  };
}
