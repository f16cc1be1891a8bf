// The signups the endpoint took, in memory, for the test to read back.
export const signups: Record<string, unknown>[] = [];
