// Module demo steps register themselves by being imported here (grids and team, cases, …).
export {};
