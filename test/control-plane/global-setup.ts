/**
 * vitest globalSetup of the integration project: builds the control-plane
 * binaries once, before any test file starts, so that a cold build (tens of
 * minutes) is not subject to hookTimeout. A warm cache makes this a no-op.
 */
import { ensureControlPlaneBinaries } from './control-plane.ts';

export default async function setup(): Promise<void> {
  await ensureControlPlaneBinaries();
}
