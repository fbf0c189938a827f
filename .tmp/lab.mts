import { runClientLab } from '../test/support/client-lab/lab.ts';
const r = await runClientLab();
for (const o of r.observations.filter((o) => /ping/.test(o.name))) console.log(JSON.stringify(o));
