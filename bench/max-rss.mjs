// Preloaded (node --import) into a process the benchmark measures: writes the process's peak resident set size, in
// bytes, to the file NETPOL_E2E_MAX_RSS names as it exits. It is getrusage's own figure read from inside, because
// Node's child_process does not hand the parent the child's rusage (wait4), and GNU time is not on every machine.
// Plain JavaScript, since the CLI it goes into runs without tsx.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.NETPOL_E2E_MAX_RSS, String(process.resourceUsage().maxRSS * 1024)));
