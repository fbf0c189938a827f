// HTTP header rules as Cilium hands them to Envoy (pkg/envoy/server.go, getHTTPRule): a `headers` entry is split at
// its first space, "Name: value" needing that exact value, a lone "Name" only presence; headerMatches need their value
// unless a mismatch action (LOG, ADD, DELETE, REPLACE) makes the proxy log or rewrite instead of deny. Header names
// are case-insensitive. Probes carry headers as curl does: a target ending in -H 'Name: value'.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/probe/target.ts';
import { cnp, demo } from '../support/model.ts';

const l7 = (http: string) => cnp('hdr', `  endpointSelector: { matchLabels: { app: backend } }\n  ingress:\n    - toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [${http}] } }]\n`);
const URL_ = 'http://backend:8080/';

describe('HTTP header rules', () => {
  it('headers "Name: value" admits only that exact value, whatever the case of the name', () => {
    const c = demo().apply(l7(`{ method: GET, headers: ["X-Token: s3cret"] }`));
    expect(c.probe('frontend', `${URL_} -H 'x-token: s3cret'`).observation).toEqual({ outcome: 'ok', status: 200 });
    expect(c.probe('frontend', `${URL_} -H 'X-Token: other'`).observation).toEqual({ outcome: 'ok', status: 403 });
    expect(c.probe('frontend', URL_).observation).toEqual({ outcome: 'ok', status: 403 });
  });

  it('a lone name needs only the header to be there', () => {
    const c = demo().apply(l7(`{ headers: [X-Debug] }`));
    expect(c.probe('frontend', `${URL_} -H 'X-Debug: anything'`).observation.status).toBe(200);
    expect(c.probe('frontend', URL_).observation.status).toBe(403);
  });

  it('headerMatches needs its value, unless a mismatch action logs or rewrites instead of denying', () => {
    const strict = demo().apply(l7(`{ headerMatches: [{ name: X-Team, value: blue }] }`));
    expect(strict.probe('frontend', `${URL_} -H 'X-Team: blue'`).observation.status).toBe(200);
    expect(strict.probe('frontend', `${URL_} -H 'X-Team: red'`).observation.status).toBe(403);
    const logged = demo().apply(l7(`{ headerMatches: [{ name: X-Team, value: blue, mismatch: LOG }] }`));
    expect(logged.probe('frontend', `${URL_} -H 'X-Team: red'`).observation.status).toBe(200);
  });

  it('every header of a rule must match, and any one rule of the list admits', () => {
    const c = demo().apply(l7(`{ headers: ["X-A: 1", "X-B: 2"] }, { path: /public }`));
    expect(c.probe('frontend', `${URL_} -H 'X-A: 1' -H 'X-B: 2'`).observation.status).toBe(200);
    expect(c.probe('frontend', `${URL_} -H 'X-A: 1'`).observation.status).toBe(403);
    expect(c.probe('frontend', 'http://backend:8080/public').observation.status).toBe(200);
  });

  it('targets carry headers as curl takes them, and refuse what curl cannot send as written', () => {
    expect(parseTarget(`POST http://backend:8080/api -H 'X-A: 1' -H 'Content-Type: application/json'`)).toMatchObject({ method: 'POST', path: '/api', headers: ['X-A: 1', 'Content-Type: application/json'] });
    expect(parseTarget(`tcp://backend:8080 -H 'X-A: 1'`)).toBeUndefined();
    expect(parseTarget(`http://backend -H 'no colon'`)).toBeUndefined();
  });
});
