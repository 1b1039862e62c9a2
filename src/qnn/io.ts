/**
 * Saving and loading models as JSON: architecture (the spec), parameters (exact: JSON numbers
 * round-trip float64) and the qdistill version that wrote them.
 *
 * Format: `{ "format": "qdistill-model", "version": 1, "qdistill": "0.1.0", "spec": {…}, "params": [..] }`
 */
import { QDISTILL_VERSION } from '../version.js';
import { QnnModel } from './model.js';
import type { ModelSpec } from './spec.js';

/** The JSON form of a trained model. */
export interface ModelJson {
  format: 'qdistill-model';
  version: 1;
  qdistill: string;
  spec: ModelSpec;
  params: number[];
}

/** Serialises a model and its parameters. */
export function modelToJson(model: QnnModel, params: ArrayLike<number>): ModelJson {
  if (params.length !== model.nParams) throw new Error(`params has ${params.length} entries; the model has ${model.nParams}`);
  return { format: 'qdistill-model', version: 1, qdistill: QDISTILL_VERSION, spec: model.spec, params: Array.from(params) };
}

/**
 * Rebuilds a model and its parameters from JSON (object or text).
 * @throws Error naming the field and value on a malformed document.
 */
export function modelFromJson(input: unknown): { model: QnnModel; params: Float64Array } {
  const j = (typeof input === 'string' ? JSON.parse(input) : input) as Partial<ModelJson> | null;
  if (!j || typeof j !== 'object') throw new Error('model JSON must be an object');
  if (j.format !== 'qdistill-model') throw new Error(`model JSON: format must be 'qdistill-model', got ${JSON.stringify(j.format)}`);
  if (j.version !== 1) throw new Error(`model JSON: unsupported version ${JSON.stringify(j.version)}; allowed: 1`);
  const model = new QnnModel(j.spec as ModelSpec);
  if (!Array.isArray(j.params) || j.params.length !== model.nParams) throw new Error(`model JSON: params must be an array of ${model.nParams} numbers`);
  j.params.forEach((p, i) => { if (typeof p !== 'number' || !Number.isFinite(p)) throw new Error(`model JSON: params[${i}] must be a finite number, got ${JSON.stringify(p)}`); });
  return { model, params: Float64Array.from(j.params) };
}
