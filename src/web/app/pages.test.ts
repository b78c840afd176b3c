import { describe, expect, it } from 'vitest';
import { MENU } from './menu.js';
import { ApprovalsPage, CasePage, DivisionsPage, HomePage, pageOf, QueuePage, SignInPage } from './pages.js';

describe('the page an address opens', () => {
  it('knows every page the menu leads to in the console', () => {
    for (const entry of MENU.filter((e) => e.path !== '/field')) expect(pageOf(entry.path), entry.path).toBeDefined();
  });

  it('tells the command centre from the case screens beside it', () => {
    expect(pageOf('/cases')).toBe(QueuePage);
    expect(pageOf('/cases/approvals')).toBe(ApprovalsPage);
    expect(pageOf('/cases/1024')).toBe(CasePage);
    expect(pageOf('/divisions/110112001')).toBe(DivisionsPage);
    expect(pageOf('/')).toBe(HomePage);
    expect(pageOf('/signin')).toBe(SignInPage);
  });

  it('leaves the light pages and unknown addresses alone', () => {
    for (const path of ['/field', '/field/tasks', '/report', '/track/abc', '/nowhere']) expect(pageOf(path), path).toBeUndefined();
  });
});
