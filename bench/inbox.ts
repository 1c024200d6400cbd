export async function inboxBench(): Promise<never> { throw new Error('not yet'); }
