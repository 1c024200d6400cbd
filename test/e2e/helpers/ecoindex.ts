// The EcoIndex formula lives in src/core/views/ecoindex.ts, shared with the roadmap's indicator that
// Bastide computes on the server (src/modules/roadmap/indicators/ecoindex.ts): one scale, one rounding.
export { ecoIndexGrade, ecoIndexScore, quantilePosition } from '../../../src/core/views/ecoindex.ts';
