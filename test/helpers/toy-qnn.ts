/**
 * The toy QNN the objective tests train and evaluate: RY angle encoding (scale π) of as many
 * features as qubits unless told, `layers` hardware-efficient layers (or RY layers) with CZ
 * entanglers, ⟨Z_q⟩ readouts on `readout` (or a linear head on them), on the MPS backend with
 * bond cap `maxBond`. A plain spec object (only a type import), so a test that loads the modules
 * afresh after stubbing the environment can use it.
 */
import type { ModelSpec } from '../../src/qnn/spec.js';

/** What the objective tests vary. */
export interface ToyQnnOptions {
  qubits: number;
  classes: number;
  layers: number;
  /** The readout qubits (one ⟨Z⟩ per class, or fewer). */
  readout: number[];
  maxBond: number;
  /** Features encoded; default: one per qubit. */
  features?: number;
  /** Scale of the initial parameters; default 1. */
  initScale?: number;
  /** The ansatz; default 'hardware-efficient'. */
  ansatz?: 'hardware-efficient' | 'ry';
  /** 'qubits' (default): one ⟨Z⟩ per class; 'linear': a trained linear head on the ⟨Z⟩ of `readout`. */
  readoutType?: 'qubits' | 'linear';
}

/** The {@link ModelSpec} of the toy QNN. */
export function toyQnnSpec(o: ToyQnnOptions): ModelSpec {
  return {
    qubits: o.qubits, features: o.features ?? o.qubits, classes: o.classes,
    encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
    ansatz: { type: o.ansatz ?? 'hardware-efficient', layers: o.layers, entangler: 'cz' },
    readout: { type: o.readoutType ?? 'qubits', qubits: o.readout },
    backend: 'mps', truncation: { maxBond: o.maxBond }, initScale: o.initScale ?? 1,
  };
}
