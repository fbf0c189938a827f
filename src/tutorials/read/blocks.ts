// A chapter as the extractor sees it: in document order, code blocks (fenced, indented, Hugo `highlight`, or command
// lines of rendered text), includes (`readfile`), and prose, each with its line in the file.

export interface SourceLine {
  text: string;
  line: number;
}

export type DocBlock =
  | { kind: 'code'; line: number; lang?: string; lines: SourceLine[] }
  /** `readfile` (a path from the site root), or `codenew`/`code_sample` (a path in the site's examples folder). */
  | { kind: 'include'; line: number; lang?: string; path: string; examples?: boolean }
  | { kind: 'prose'; line: number; text: string; heading?: boolean };

/**
 * Something the tutorial gets wrong or the reader could not follow. `lint` and `error` fail `docs check` (the text
 * is wrong, or a block of it cannot be read); `warning` only says what was skipped.
 */
export interface Finding {
  file: string;
  line?: number;
  severity: 'lint' | 'error' | 'warning';
  rule: string;
  message: string;
}

export interface Chapter {
  file: string;
  title?: string;
  blocks: DocBlock[];
  /** How the text was read: markdown, or rendered text without code blocks, read line by line. */
  mode: 'markdown' | 'text';
}

/** A first word that starts a shell command line (so that a line of program output is not taken for one). */
const COMMANDS =
  /^(?:kubectl|echo|hubble|cilium|curl|helm|calicoctl|kind|minikube|gcloud|export|tar|sudo|jq|cat|watch|ps|cd|mkdir|git|wget|source|while|for|until|if|then|else|elif|fi|do|done|exit|k9s|nc|ncat|ping|nslookup|dig|agnhost|\.?\/agnhost)(?:\s|;|$)|^[A-Za-z_]\w*=\S/;

export function isCommandLine(text: string): boolean {
  return COMMANDS.test(text.trim().replace(/^\$\s+/, ''));
}

/** A shell prompt in a pod's interactive session (`/ # `, `~ $ `, `root@pod:/# `, `bash-5.2# `, `[root@pod /]# `), and the command after it. */
export const PROMPT = /^\s*(?:[/~][\w/.-]*|[\w.-]+@[\w.-]+:[~/][\w/.-]*|bash-[\d.]+|\[[^\]]+\])\s?[#$]\s?(.*)$/;
