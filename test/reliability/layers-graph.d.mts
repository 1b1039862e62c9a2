/** Types of layers-graph.mjs (the folder import graph of src/ and mps/ and its layering check). */

/** One relative module path found in a source file. */
export interface ExtractedImport {
  spec: string;
  kind: 'static' | 'dynamic' | 'string';
  line: number;
}

/** One import that the allowed table does not permit. */
export interface LayerViolation {
  from: string;
  to: string;
  file: string;
  line: number;
  spec: string;
  kind: ExtractedImport['kind'];
}

/** The folder graph of a tree. */
export interface LayerCheck {
  folders: string[];
  edges: Map<string, Map<string, string[]>>;
  violations: LayerViolation[];
}

export const ALLOWED: Readonly<Record<string, readonly string[]>>;
export function extractImports(text: string, fileName?: string): ExtractedImport[];
export function folderOf(rel: string): string;
export function checkLayers(root: string, allowed?: Readonly<Record<string, readonly string[]>>): LayerCheck;
export function mutualEdges(edges: LayerCheck['edges']): [string, string][];
export function formatGraph(result: LayerCheck, allowed?: Readonly<Record<string, readonly string[]>>): string;
