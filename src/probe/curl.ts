// The probe command: built here from validated parts, and parsed back here by the model backend, which must
// answer exactly the command a cluster would run.

export interface ProbeRequest {
  url: string;
  connectTimeoutSeconds: number;
  maxTimeSeconds: number;
}

export function buildCurlArgv(request: ProbeRequest): string[] {
  const insecure = request.url.startsWith('https://') ? ['-k'] : [];
  return ['curl', '-sS', '-I', ...insecure, '--connect-timeout', String(request.connectTimeoutSeconds), '-m', String(request.maxTimeSeconds), request.url];
}

/** The inverse of buildCurlArgv; undefined for any argv it did not build. */
export function parseCurlArgv(argv: readonly string[]): ProbeRequest | undefined {
  const [command, ...rest] = argv;
  if (command !== 'curl') return undefined;
  let connectTimeoutSeconds: number | undefined;
  let maxTimeSeconds: number | undefined;
  let url: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-sS' || arg === '-I' || arg === '-k') continue;
    if (arg === '--connect-timeout' || arg === '-m') {
      const value = Number(rest[++i]);
      if (!Number.isFinite(value) || value <= 0) return undefined;
      if (arg === '-m') maxTimeSeconds = value;
      else connectTimeoutSeconds = value;
    } else if (!arg.startsWith('-') && url === undefined) url = arg;
    else return undefined;
  }
  if (url === undefined || connectTimeoutSeconds === undefined || maxTimeSeconds === undefined) return undefined;
  return { url, connectTimeoutSeconds, maxTimeSeconds };
}
