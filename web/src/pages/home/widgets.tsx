import type { ReactNode } from 'react';
import type { Role } from '@server/platform/access';
import { CalendarWarnings } from '../admin/CalendarPage';
import { AgentCasesWidget, HandlerCasesWidget, SupervisorCasesWidget } from '../cases/widgets';
import { PlanWidget } from '../performance/PlanWidget';
import { LeaderScoreWidget, UnitScoreWidget } from '../performance/ScoreWidgets';
import { AssessorWidget, LeaderWidget, OfficeWidget, ReporterWidget } from '../reporting/ReportingWidgets';

/** A card on the home page for the given roles. Modules add theirs here (to-do lists, counters, warnings). */
export type HomeWidget = { key: string; roles: Role[]; wide?: boolean; render: () => ReactNode };

export const HOME_WIDGETS: HomeWidget[] = [
  // Shown only while the current or the coming year has no official holiday data.
  { key: 'calendar-warnings', roles: ['admin'], wide: true, render: () => <CalendarWarnings /> },
  { key: 'performance-plans', roles: ['office', 'reporter', 'unit_leader'], render: () => <PlanWidget /> },
  { key: 'performance-unit-score', roles: ['reporter', 'unit_leader'], render: () => <UnitScoreWidget /> },
  {
    key: 'performance-leader-scores',
    roles: ['office', 'main_leader', 'district_leader'],
    wide: true,
    render: () => <LeaderScoreWidget />,
  },
  { key: 'reporting-reporter', roles: ['reporter'], render: () => <ReporterWidget /> },
  { key: 'reporting-leader', roles: ['unit_leader'], render: () => <LeaderWidget /> },
  { key: 'reporting-office', roles: ['office'], render: () => <OfficeWidget /> },
  { key: 'reporting-assessor', roles: ['assessor'], render: () => <AssessorWidget /> },
  { key: 'cases-agent', roles: ['agent'], render: () => <AgentCasesWidget /> },
  { key: 'cases-handler', roles: ['handler'], render: () => <HandlerCasesWidget /> },
  { key: 'cases-supervisor', roles: ['supervisor'], render: () => <SupervisorCasesWidget /> },
];
