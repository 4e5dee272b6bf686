import { Alert, Anchor, Blockquote, Button, Card, Group, List, Loader, NativeSelect, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemText, type Schemas } from '../api/client';
import { useOrganisations } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { actionText, timeText, useOwnStaff } from '../ui/AuditWords';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

type Flag = Schemas['AuditFlagDto'];
type Status = 'OPEN' | 'ACKNOWLEDGED' | 'ESCALATED' | 'CLOSED';
type Move = Exclude<Status, 'OPEN'>;
const KINDS = ['BREAK_GLASS', 'MANY_PERSONS', 'DENIAL_BURST', 'OFF_HOURS'] as const;
/** The API's rule (libs/audit/src/audit-flags.ts FLAG_MOVES): OPEN -> ACKNOWLEDGED | ESCALATED -> CLOSED; an acknowledged flag can still be escalated. */
const MOVES: Record<Status, Move[]> = { OPEN: ['ACKNOWLEDGED', 'ESCALATED'], ACKNOWLEDGED: ['ESCALATED', 'CLOSED'], ESCALATED: ['CLOSED'], CLOSED: [] };
/** 'TODO': every flag not closed yet (the default: a flag stays in view while it is worked through). */
type Shown = 'TODO' | 'ALL' | Status;

/**
 * The privacy officer's review queue: what the system noticed (emergency access, many persons in an hour,
 * bursts of refusals, access outside office hours), each with what it is about, the justification typed
 * for an emergency access, its history, and the next step with a comment.
 */
export function AuditFlagsPage() {
  const { t } = useI18n();
  usePageTitle(t('audit.flags.title'));
  const [shown, setShown] = useState<Shown>('TODO');
  const [kind, setKind] = useState('');
  // flags reviewed on this visit stay in view whatever the filter, with what became of them
  const [reviewedHere, setReviewedHere] = useState<string[]>([]);
  // the whole queue (at most 500, newest first), filtered here: a flag does not vanish while it is worked on
  const flags = useQuery({
    queryKey: ['audit-flags'],
    queryFn: async () => {
      const { data, error } = await api.GET('/audit/flags');
      if (error) throw error;
      return data;
    },
  });
  const wanted = (f: Flag) => (shown === 'ALL' ? true : shown === 'TODO' ? f.status !== 'CLOSED' : f.status === shown);
  const list = (flags.data ?? []).filter((f) => (wanted(f) || reviewedHere.includes(f.id)) && (!kind || f.kind === kind));
  return (
    <Stack maw={860}>
      <Title order={1} size="h2">
        {t('audit.flags.title')}
      </Title>
      <Text>{t('audit.flags.intro')}</Text>
      <Group align="end">
        <NativeSelect
          label={t('audit.flags.show')}
          value={shown}
          onChange={(e) => setShown(e.currentTarget.value as Shown)}
          data={[
            { value: 'TODO', label: t('audit.flags.todo') },
            ...(['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'CLOSED'] as const).map((s) => ({ value: s, label: t(`audit.flag.status.${s}`) })),
            { value: 'ALL', label: t('audit.flags.all') },
          ]}
        />
        <NativeSelect
          label={t('audit.flags.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value)}
          data={[{ value: '', label: t('audit.flags.anyKind') }, ...KINDS.map((k) => ({ value: k, label: t(`audit.flag.kind.${k}`) }))]}
        />
      </Group>
      {flags.isError && <ProblemAlert>{t('app.error', { detail: problemText(flags.error) })}</ProblemAlert>}
      {flags.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <>
          <Text role="status" size="sm">
            {t('audit.flags.count', { count: list.length })}
          </Text>
          {list.map((flag) => (
            <FlagCard key={flag.id} flag={flag} onReviewed={() => setReviewedHere((ids) => [...ids, flag.id])} />
          ))}
        </>
      )}
    </Stack>
  );
}

function FlagCard({ flag, onReviewed }: { flag: Flag; onReviewed: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const staff = useOwnStaff();
  const organisations = useOrganisations();
  const queries = useQueryClient();
  const headingId = useId();
  const moves = MOVES[flag.status as Status] ?? [];
  const [move, setMove] = useState<Move | ''>('');
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<Status | null>(null);
  const [invalid, setInvalid] = useState(false);
  const saved = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) saved.current?.focus();
  }, [done]);
  const userName = (id: string | null | undefined) =>
    id === me?.id ? t('audit.flags.you') : (staff.data?.find((u) => u.id === id)?.displayName ?? (id ? t('audit.flags.colleague') : t('audit.events.system')));
  const actor =
    flag.actorOrganisationId && flag.actorOrganisationId !== me?.organisation.id
      ? (organisations.data?.find((o) => o.id === flag.actorOrganisationId)?.name ?? t('audit.flags.partner'))
      : `${userName(flag.actorUserId)}, ${me?.organisation.name ?? ''}`;
  const review = useMutation({
    mutationFn: async (body: { status: Move; comment: string }) => {
      const { data, error } = await api.POST('/audit/flags/{id}/review', { params: { path: { id: flag.id } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: (updated) => {
      setDone(updated.status as Status);
      onReviewed();
      setMove('');
      setComment('');
      void queries.invalidateQueries({ queryKey: ['audit-flags'] });
    },
  });
  const send = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (!move || comment.trim().length < 3) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    review.mutate({ status: move, comment: comment.trim() });
  };
  const details = flag.details as { persons?: number; threshold?: number; denials?: number; accesses?: number; action?: string; categories?: string[] };
  const explanation = t(`audit.flag.explain.${flag.kind}`, {
    persons: details.persons ?? 0,
    threshold: details.threshold ?? 0,
    denials: details.denials ?? 0,
    accesses: details.accesses ?? 0,
    action: actionText(t, details.action ?? ''),
    categories: (details.categories ?? []).map((c) => t(`category.${c}`)).join(', '),
  });
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Title order={2} size="h4" id={headingId}>
          {t(`audit.flag.kind.${flag.kind}`)}, {timeText(t, flag.createdAt)}
        </Title>
        <Text>
          <Text span fw={700}>
            {t('audit.flags.status')}:
          </Text>{' '}
          {t(`audit.flag.status.${flag.status}`)}
        </Text>
        <Text>{explanation}</Text>
        <Text>
          <Text span fw={700}>
            {t('audit.flags.by')}:
          </Text>{' '}
          {actor}
        </Text>
        {flag.subjectPersonId && (
          <Anchor component={Link} to={`/privacy/clients/${flag.subjectPersonId}`}>
            {t('audit.flags.subject')}
          </Anchor>
        )}
        {flag.kind === 'BREAK_GLASS' && (
          <div>
            <Text fw={700}>{t('audit.flags.justification')}</Text>
            {flag.justification ? <Blockquote p="sm">{flag.justification}</Blockquote> : <Text>{t('audit.flags.noJustification')}</Text>}
          </div>
        )}
        {flag.reviews.length > 0 && (
          <div>
            <Text fw={700}>{t('audit.flags.history')}</Text>
            <List type="ordered">
              {flag.reviews.map((r, i) => (
                <List.Item key={i}>
                  {t('audit.flags.move', {
                    from: t(`audit.flag.status.${r.from}`),
                    to: t(`audit.flag.status.${r.to}`),
                    who: userName(r.by),
                    at: timeText(t, r.at),
                  })}
                  : “{r.comment}”
                </List.Item>
              ))}
            </List>
          </div>
        )}
        {done && (
          // the keyboard user continues from here: the save button was disabled while it worked
          <Alert ref={saved} tabIndex={-1} color="green" role="status">
            {t('audit.flags.saved', { status: t(`audit.flag.status.${done}`) })}
          </Alert>
        )}
        {moves.length > 0 ? (
          <form onSubmit={send} aria-label={t('audit.flags.reviewForm')} noValidate>
            <Stack gap="xs">
              <Radio.Group label={t('audit.flags.next')} value={move} onChange={(v) => setMove(v as Move)} required>
                <Group mt={4}>
                  {moves.map((m) => (
                    <Radio key={m} value={m} label={t(`audit.flag.move.${m}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <Textarea
                label={t('audit.flags.comment')}
                description={t('audit.flags.commentHelp')}
                required
                minLength={3}
                maxLength={2000}
                autosize
                minRows={2}
                value={comment}
                onChange={(e) => setComment(e.currentTarget.value)}
              />
              {invalid && <ProblemAlert focus>{t('audit.flags.incomplete')}</ProblemAlert>}
              {review.isError && <ProblemAlert focus>{t('app.error', { detail: problemText(review.error) })}</ProblemAlert>}
              <Button type="submit" w="fit-content" loading={review.isPending}>
                {t('audit.flags.save')}
              </Button>
            </Stack>
          </form>
        ) : (
          <Text size="sm">{t('audit.flags.finished')}</Text>
        )}
      </Stack>
    </Card>
  );
}
