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
  /** held on its own (hold per branch): since when, and why (live state only; the history has it too) */
  heldAt?: string | Date | null;
  heldReason?: string;
};

export function processModel(data: ProcessPage, user: PageUser) {
  const { process: p, live } = data;
  const def = chainDefinitionFor(p.type, p.version);
  const deptName = (d?: string | null) => departmentName(data.departments, d);
  const userName = (uid?: string | null) => (uid ? (data.users.find((u) => u.id === uid)?.name ?? 'unbekannt') : '');
  const ended = p.status === 'completed' || p.status === 'cancelled';

  // every open step: the current one, or one per parallel branch (live from the workflow, else the read model)
  let opens: Current[] = [];
  if (!ended && live?.current) opens = [live.current];
  else if (!ended && live?.fork?.branches.length) opens = live.fork.branches;
  else if (!ended && p.currentStep && p.currentStatus) {
    const row = [...p.steps].reverse().find((s) => s.key === p.currentStep);
    opens = [
      {
        key: p.currentStep,
        phase: p.currentStatus as CurrentStep['phase'],
        department: p.currentDepartment,
        taskId: row?.taskId,
        dueAt: p.currentStatus === 'waiting' ? null : p.dueAt,
        activeFrom: p.currentStatus === 'waiting' ? p.dueAt : null,
        overdue: p.overdue,
        heldAt: p.steps.find((s) => s.key === p.currentStep && s.completedAt === null)?.heldAt,
      },
      // the other parallel branches as the read model has them
      ...p.steps
        .filter((s) => s.completedAt === null && s.status !== 'forked' && s.key !== p.currentStep)
        .map((s): Current => ({
          key: s.key,
          phase: s.status as CurrentStep['phase'],
          department: s.department,
          taskId: s.taskId,
          dueAt: s.status === 'waiting' ? null : s.dueAt,
          activeFrom: s.status === 'waiting' ? s.dueAt : null,
          overdue: false,
          heldAt: s.heldAt,
        })),
    ];
  }
  const running = p.status === 'running';
  /** what the page shows and allows for one open step */
  const branchOf = (cur: Current) => {
    const step = def ? def.steps[cur.key] : undefined;
    const task = cur.taskId ? data.tasks.find((t) => t.id === cur.taskId) : undefined;
    const holder = cur.phase === 'handoff' || cur.phase === 'consent' ? deptName(cur.department ?? task?.departmentId) : 'Fallmanagement';
    const due =
      cur.phase === 'handoff'
        ? (cur.dueAt ?? (task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null))
        : cur.phase === 'waiting'
          ? null
          : cur.dueAt;
    const declineReason = cur.phase === 'returned' ? (cur.declineReason ?? task?.reason ?? undefined) : undefined;
    const diagramCurrent: DiagramCurrent = {
      key: cur.key,
      phase: cur.phase,
      holder,
      dueAt: due,
      activeFrom: cur.activeFrom,
      overdue: cur.overdue,
      held: Boolean(cur.heldAt),
    };
    const canStep = recordsStepOutcomes(user) && running && !!step && !cur.heldAt;
    return {
      cur,
      step,
      task,
      holder,
      due,
      declineReason,
      diagramCurrent,
      may: {
        complete:
          canStep && (cur.phase === 'active' || cur.phase === 'returned') && step!.actor.kind !== 'rule' && step!.actor.kind !== 'compare',
        retry: canStep && (cur.phase === 'returned' || cur.phase === 'consent'),
        skip: canStep && step!.optional && cur.phase !== 'waiting',
        // hold per branch: one of two or more open steps alone; a held step is resumed on its own
        holdBranch: steersChains(user) && running && !cur.heldAt && opens.length > 1,
        resumeBranch: steersChains(user) && !ended && !!cur.heldAt,
      },
    };
  };
  const all = opens.map(branchOf);
  const first = all[0];
  const cur = first?.cur;
  const step = first?.step;
  const task = first?.task;
  const holder = first?.holder ?? 'Fallmanagement';
  const due = first?.due;
  const declineReason = first?.declineReason;
  const diagramCurrent = first?.diagramCurrent;
  // parallel branches: the other open steps, each with its own forms
  const branches = all.slice(1);
  const otherBranches = branches.map((b) => ({
    key: b.cur.key,
    title: b.step?.title ?? b.cur.key,
    phase: b.cur.phase,
    holder: b.holder,
    dueAt: b.due,
    heldAt: b.cur.heldAt,
  }));
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
    /** every open step's place in the diagram (two or more while parallel branches run) */
    diagramCurrents: all.map((b) => b.diagramCurrent),
    branches,
    otherBranches,
    deptName,
    userName,
    may: {
      complete: first?.may.complete ?? false,
      retry: first?.may.retry ?? false,
      skip: first?.may.skip ?? false,
      holdBranch: first?.may.holdBranch ?? false,
      resumeBranch: first?.may.resumeBranch ?? false,
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
