import { describe, expect, it } from 'vitest';
import { unrollLoops } from '../../src/tutorials/read/loops.ts';

const lines = (text: string) => text.split('\n').map((t, i) => ({ text: t, line: 10 + i }));

describe('shell loops over literal words', () => {
  it('runs the body once per word, with $VAR and ${VAR} replaced, each line keeping its place', () => {
    expect(unrollLoops(lines('for pod in a b; do\n  kubectl exec $pod -- curl ${pod}-svc\ndone\n200'))).toEqual([
      { text: '  kubectl exec a -- curl a-svc', line: 11 },
      { text: '  kubectl exec b -- curl b-svc', line: 11 },
      { text: '200', line: 13 },
    ]);
    expect(unrollLoops(lines('for p in 80 443\ndo\ncurl web:$p\ndone'))).toEqual([
      { text: 'curl web:80', line: 12 },
      { text: 'curl web:443', line: 12 },
    ]);
  });

  it('unrolls the one-line form, and leaves a list the text does not spell out as written', () => {
    expect(unrollLoops(lines('$ for i in 1 2; do kubectl exec x -- curl -s web/$i; done')).map((l) => l.text)).toEqual(['$ kubectl exec x -- curl -s web/1', '$ kubectl exec x -- curl -s web/2']);
    const dynamic = lines('for pod in $(kubectl get pods -o name); do\n  kubectl exec $pod -- curl web\ndone');
    expect(unrollLoops(dynamic)).toEqual(dynamic);
  });
});
