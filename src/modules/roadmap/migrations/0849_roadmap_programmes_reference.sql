-- Funding programmes are installation-wide reference rows that a collectivité's applications and alerts
-- point to. A tenant archive (core/transfer) does not carry them: it names each one by its slug, and the
-- import finds it on the other installation by that slug (core/transfer/references.ts reads this comment).
comment on table roadmap_programmes is 'bastide:reference key=slug — funding programmes, named by slug in tenant archives';
