// Commands that switch Cilium's policy audit mode, followed on the model where it is known which endpoints they reach
// and when the agents take the change:
// - the cilium CLI's `cilium config set policy-audit-mode true` writes cilium-config and restarts the agents (its
//   --restart flag defaults to true: cilium-cli/cli/config.go, cilium/cilium ba42721b60c0f9a912789fa530199bb11faa84af):
//   every endpoint, at once;
// - `kubectl patch` of cilium-config and `helm upgrade --set policyAuditMode=…` change the ConfigMap only; the
//   agents read it when they start (the chart's rollOutCiliumPods defaults to false: install/kubernetes/cilium/
//   values.yaml, cilium/cilium c547745f2c39e349a250f3952591af147d31245d), so the change waits for a restart of the
//   agents (`kubectl rollout restart ds/cilium`); `helm install` and `cilium install` start them with it;
// - `cilium-dbg config PolicyAuditMode=true` in one agent reaches that node's endpoints, and `cilium-dbg endpoint
//   config ID PolicyAuditMode=Enabled` one endpoint: the model does not know which pods those are, so claims are not
//   checked while it is on.
import { act, at } from './changes.ts';
import { find, type Place, type ReadingState } from './reading-state.ts';

const SETTING = /policy-?audit-?mode["']?(?:\s*[=:]\s*|\s+)["']?(true|false|enabled|disabled)\b/i;
const ONE_ENDPOINT = /\bendpoint\s+config\b/;
const ONE_AGENT = /\bcilium(?:-dbg)?\s+config\s+(?!set\b|view\b|delete\b)/;
const CLI_SET = /\bcilium\s+config\s+set\b/;
const NO_RESTART = /\s(?:--restart[= ]false|-r[= ]false)\b/;
const INSTALL = /\b(?:helm|cilium)\s+install\b/;
const ROLL_OUT = /rollOutCiliumPods=true\b/;
const RESTART = /\brollout\s+restart\s+(?:ds|daemonsets?)\/cilium\b/;
// helm keeping every other value and setting only these; a patch of cilium-config whose data is only the mode.
const HELM_ONLY = /^(?!.*\s(?:-f|--values)[\s=])(?=.*\s--reuse-values\b)(?:(?!--set(?:-string)?[\s=]).|--set(?:-string)?[\s=](?:policyAuditMode|rollOutCiliumPods)=\w+)*$/;
const PATCH = /\bpatch\s.*?\b(?:configmaps?|cm)[\s/]+cilium-config\s.*?(?:-p|--patch)[\s=]+'(\{.*\})'/;

/**
 * Follows a command that switches policy audit mode, or restarts the agents that then take a pending change. True
 * when that is all the command changes, so that it is followed whole (else the command's own reading decides).
 */
export async function auditMode(state: ReadingState, place: Place, text: string): Promise<boolean> {
  const m = SETTING.exec(text);
  if (!m) {
    if (!RESTART.test(text)) return false;
    if (state.pendingAudit) await switchAll(state, place, text, state.pendingAudit.on);
    // Restarted agents keep every object as it was.
    return true;
  }
  const on = /^(true|enabled)$/i.test(m[1]!);
  if (ONE_ENDPOINT.test(text) || ONE_AGENT.test(text)) {
    someEndpoints(state, place, text, on, ONE_ENDPOINT.test(text) ? 'one endpoint' : "one agent's node");
    return true;
  }
  const only = CLI_SET.test(text) || HELM_ONLY.test(text) || onlyTheMode(PATCH.exec(text)?.[1]);
  const restarts = (CLI_SET.test(text) && !NO_RESTART.test(text)) || INSTALL.test(text) || ROLL_OUT.test(text);
  if (restarts) {
    await switchAll(state, place, text, on);
    return only;
  }
  // The ConfigMap changed, the agents still run with the old value: until they restart, the mode is not known, unless
  // the old value is the new one.
  state.pendingAudit = on === state.model.cluster.auditing() ? undefined : { on, why: `${text} (${place.file}:${place.line}) changed cilium-config, and the agents read it only when they start: no restart of them follows yet` };
  return only;
}

/** Whether a merge patch of cilium-config sets policy-audit-mode and nothing else. */
function onlyTheMode(patch: string | undefined): boolean {
  if (!patch) return false;
  try {
    const { data, ...rest } = JSON.parse(patch) as { data?: Record<string, unknown> };
    return Object.keys(rest).length === 0 && data !== undefined && Object.keys(data).join() === 'policy-audit-mode';
  } catch {
    return false;
  }
}

async function switchAll(state: ReadingState, place: Place, text: string, on: boolean) {
  state.pendingAudit = undefined;
  await act(state, place, text, { kind: 'policy-audit', on, ...at(place, text) });
}

function someEndpoints(state: ReadingState, place: Place, text: string, on: boolean, which: string) {
  if (!on) {
    state.audit = undefined;
    return;
  }
  if (state.audit) return;
  state.audit = `Cilium's policy audit mode is on for ${which} (${text}, ${place.file}:${place.line}), and the harness does not know which pods that is`;
  find(state, 'warning', 'audit-mode', place, `${text}: policy audit mode for ${which} lets denied flows through (audited, not dropped) where the harness cannot tell; claims are not checked until it is switched off`);
}
