// examples/phase-transition.ts — run with: npx tsx examples/phase-transition.ts
import { tfimGroundEnergy, tfimPseudoCriticalPoint, transitionEstimate } from 'qdistill';

// exact ground energy of the open TFIM chain −J Σ ZZ − h Σ X (free fermions), n = 128 at h = J
console.log(tfimGroundEnergy(128, 1, 1).toFixed(6)); // ≈ -162.612300
// where a finite chain has its transition: the specific-heat maximum, h*(n)/J → 1 as n grows
console.log([8, 16, 64].map((n) => tfimPseudoCriticalPoint(n, 1).toFixed(3)).join(' ')); // ≈ 0.871, 0.924, 0.977
// where a classifier puts it: its predicted probability of the disordered phase crosses 1/2
const hOverJ = [0.7, 0.8, 0.9, 1.0, 1.1, 1.2];
const p = [0.02, 0.1, 0.3, 0.7, 0.95, 0.99];
const t = transitionEstimate(hOverJ, p); // { point, crossings, all }
console.log(t.point, t.crossings); // ≈ 0.95, 1
