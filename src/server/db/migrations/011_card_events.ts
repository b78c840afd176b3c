import { sql, type Kysely } from 'kysely';

/**
 * Yellow and red cards become events in the case's history (`yellow_card` / `red_card`, by the
 * system). Cards given before this migration were kept only in `case_cards`: each gets its event
 * here, numbered after the case's last event (in the order the cards were given), in the state the
 * case was in at the card's time, and `case_cards.event_id` names it. Cards that already have their
 * event are left alone, so running it again does nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into case_events (case_id, seq, action, from_state, to_state, at, actor_id, actor_kind, actor_user_id, actor_name,
      actor_level, actor_division_code, actor_department_code, input, step, due_at, withdrawn_request, comment)
    select case_id, last_seq + row_number() over (partition by case_id order by at, kind desc), action, state, state, at,
      'system', 'system', null, '系统督办', null, null, null, '{}', step, due_at, null, null
    from (
      select k.case_id, k.at, k.kind, k.due_at,
        case k.kind when 'yellow' then 'yellow_card' else 'red_card' end as action,
        nullif(k.step, '') as step,
        (select max(e.seq) from case_events e where e.case_id = k.case_id) as last_seq,
        coalesce(
          (select e.to_state from case_events e where e.case_id = k.case_id and e.at <= k.at order by e.seq desc limit 1),
          (select c.state from cases c where c.id = k.case_id)
        ) as state
      from case_cards k
      where k.event_id is null
    ) given
  `.execute(db);
  await sql`
    update case_cards set event_id = (
      select max(e.id) from case_events e
      where e.case_id = case_cards.case_id and e.actor_id = 'system' and e.at = case_cards.at and e.due_at = case_cards.due_at
        and e.action = case case_cards.kind when 'yellow' then 'yellow_card' else 'red_card' end
    )
    where event_id is null
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update case_cards set event_id = null`.execute(db);
  await sql`delete from case_events where action in ('yellow_card', 'red_card')`.execute(db);
}
