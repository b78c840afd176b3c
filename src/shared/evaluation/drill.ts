/** A case behind a figure, as the server lists it and the dashboard shows it. */
export interface DrillRow {
  markId: number;
  caseId: number;
  number: string;
  state: string;
  categoryCode: string | null;
  categoryName: string | null;
  source: string;
  gridCode: string;
  gridName: string | null;
  address: string | null;
  description: string;
  reportedAt: number;
  closedAt: number | null;
  at: number;
  department: string | null;
  actorId: string | null;
  actorName: string | null;
  hit: boolean | null;
  hours: number | null;
}
