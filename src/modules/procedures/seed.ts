// Demo procedures (filled in below).
import type { AppDeps } from '../../core/module.ts';

export async function seedProceduresDemo(_deps: Pick<AppDeps, 'db' | 'config'>, _log: (line: string) => void): Promise<void> {}
