// Label selectors as manifests write them: a Kubernetes selector's keys are qualified names; a Cilium selector's
// may carry a source (`k8s:`, `reserved:`). Matching them is manifest/selector.ts's job.
import { z } from 'zod';
import { labelKey, labelValue } from './core.ts';

const labelSelector = (ciliumSource: boolean) =>
  z
    .strictObject({
      matchLabels: z.record(labelKey(ciliumSource), labelValue).nullish(),
      matchExpressions: z
        .array(
          z.strictObject({
            key: labelKey(ciliumSource),
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
            values: z.array(labelValue).nullish(),
          }),
        )
        .nullish(),
    })
    .superRefine((selector, ctx) => {
      selector.matchExpressions?.forEach((expr, i) => {
        const needsValues = expr.operator === 'In' || expr.operator === 'NotIn';
        if (needsValues !== Boolean(expr.values?.length)) {
          ctx.addIssue({
            code: 'custom',
            path: ['matchExpressions', i, 'values'],
            message: needsValues ? `operator ${expr.operator} needs values` : `operator ${expr.operator} takes no values`,
          });
        }
      });
    });
export const LabelSelectorSchema = labelSelector(true);
export const KubeLabelSelectorSchema = labelSelector(false);
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;
