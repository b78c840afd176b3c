import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../../../app/hooks.js';
import { EmptyState } from '../../../ui/EmptyState.js';
import { useAreaNames } from '../hooks.js';
import { CaseTable } from '../queue/CaseTable.js';
import { listCases, type CaseListQuery } from '../shared/api.js';
import { useCaseChanges } from '../shared/live.js';

/** The community's open cases, soonest due first, in the command centre's table. */
export function CommunityCases({ community }: { community: string }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState<CaseListQuery>({ community, status: 'open', sort: 'due_at', order: 'asc', page: 1, pageSize: 20 });
  const q = { ...query, community };
  const list = useRequest((signal) => listCases(q, signal), [JSON.stringify(q)]);
  const names = useAreaNames(list.data?.items.map((c) => c.gridCode) ?? []);
  const reload = list.reload;
  useCaseChanges(() => reload());
  return (
    <CaseTable
      items={list.data?.items ?? []}
      total={list.data?.total ?? 0}
      loading={list.status === 'loading' && !list.data}
      query={q}
      names={names}
      emptyText={<EmptyState title={t('cases.desk.table.empty')} description={t('cases.desk.table.emptyHint')} />}
      onChange={(c) => setQuery({ ...query, ...c })}
      hide={['area', 'source', 'created_at']}
      // the other columns have fixed widths (about 710 px, 750 in English): the description keeps
      // about 250 px, and the table scrolls within its card where the card is narrower
      minWidth={i18n.language === 'en' ? 1000 : 960}
    />
  );
}
