// One list for the process, whichever bundle of the app's routes imports it.
const shared = globalThis as { __signups?: Record<string, unknown>[] };
export const signups = (shared.__signups ??= []);
