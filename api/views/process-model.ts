// What the process page shows, worked out once from the service's data: the current step (live from
// the workflow, else from the read model), who holds it and until when, and the names to show.
import { chainDefinitionFor } from '../../core/domain/chains';
import type { CurrentStep } from '../../core/domain/chains/state';
import type { PageUser } from '../html';
import { cancelsChains, recordsStepOutcomes, steersChains } from '../access';
import type { DiagramCurrent } from '../pages/chain-diagram';
import { departmentName } from '../services/departments';
import type { ProcessPage } from '../services/chains';

export type Current = Pick<CurrentStep, 'key' | 'phase'> & {
  department?: string | null;
  dueAt?: string | Date | null;
  activeFrom?: string | Date | null;
  taskId?: string | null;
  overdue: boolean;
  declineReason?: string;
};

export function processModel(data: ProcessPage, user: PageUser) {
  const { process: p, live } = data;
  const def = chainDefinitionFor(p.type, p.version);
  const deptName = (d?: string | null) => departmentName(data.departments, d);
  const userName = (uid?: string | null) => (uid ? (data.users.find((u) => u.id === uid)?.name ?? 'unbekannt') : '');
  const ended = p.status === 'completed' || p.status === 'cancelled';

  let cur: Current | undefined;
  if (!ended && live?.current) cur = live.current;
  else if (!ended && live?.fork?.branches.length) cur = live.fork.branches[0];
  else if (!ended && p.currentStep && p.currentStatus) {
    const row = [...p.steps].reverse().find((s) => s.key === p.currentStep);
    cur = {
      key: p.currentStep,
      phase: p.currentStatus as CurrentStep['phase'],
      department: p.currentDepartment,
      taskId: row?.taskId,
      dueAt: p.currentStatus === 'waiting' ? null : p.dueAt,
      activeFrom: p.currentStatus === 'waiting' ? p.dueAt : null,
      overdue: p.overdue,
    };
  }
  const step = cur && def ? def.steps[cur.key] : undefined;
  const task = cur?.taskId ? data.tasks.find((t) => t.id === cur.taskId) : undefined;
  const holder = cur?.phase === 'handoff' || cur?.phase === 'consent' ? deptName(cur.department ?? task?.departmentId) : 'Fallmanagement';
  const due =
    cur?.phase === 'handoff'
      ? (cur.dueAt ?? (task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null))
      : cur?.phase === 'waiting'
        ? null
        : cur?.dueAt;
  const declineReason = cur?.phase === 'returned' ? (cur.declineReason ?? task?.reason ?? undefined) : undefined;
  const diagramCurrent: DiagramCurrent | undefined = cur
    ? { key: cur.key, phase: cur.phase, holder, dueAt: due, activeFrom: cur.activeFrom, overdue: cur.overdue }
    : undefined;

  // parallel branches: the other open steps (the first one is `cur`, with its actions)
  const otherBranches = ended
    ? []
    : p.steps
        .filter((s) => s.completedAt === null && s.status !== 'forked' && s.key !== cur?.key)
        .map((s) => ({
          key: s.key,
          title: s.title,
          phase: s.status,
          holder: s.status === 'handoff' || s.status === 'consent' ? deptName(s.department) : 'Fallmanagement',
          dueAt: s.dueAt,
        }));
  const running = p.status === 'running';
  const canStep = recordsStepOutcomes(user) && running && !!cur && !!step;
  return {
    p,
    live,
    def,
    ended,
    cur,
    step,
    task,
    holder,
    due,
    declineReason,
    diagramCurrent,
    otherBranches,
    deptName,
    userName,
    may: {
      complete: canStep && (cur!.phase === 'active' || cur!.phase === 'returned') && step!.actor.kind !== 'rule',
      retry: canStep && (cur!.phase === 'returned' || cur!.phase === 'consent'),
      skip: canStep && step!.optional && cur!.phase !== 'waiting',
      hold: steersChains(user) && running,
      resume: steersChains(user) && p.status === 'on_hold',
      reassign: steersChains(user) && !ended,
      cancel: cancelsChains(user) && !ended,
      recordConsent: recordsStepOutcomes(user),
    },
  };
}
export type ProcessModel = ReturnType<typeof processModel>;

/** A form of the page that came back with errors: its values and messages. */
export interface FormState {
  form: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
}
export const stateOf = (state: FormState | undefined, form: string) => (state?.form === form ? state : undefined);
