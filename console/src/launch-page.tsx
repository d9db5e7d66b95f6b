import { useState } from 'preact/hooks';
import type { Program } from '../../shared/program/program-schema.ts';
import type { Api } from './api.ts';
import { useAction } from './use-action.tsx';

interface Preview {
  cohortId: string;
  program: Program;
  emails: {
    date: string;
    audience: string;
    kind: string;
    round: number;
    trigger?: string;
    subject: string;
    text: string;
  }[];
}

/**
 * Launching a cohort (admins): a program file, uploaded or pasted, checked with every problem
 * at its line, then every email the cohort will send, then the launch.
 */
export function LaunchPage({ api }: { api: Api }) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview>();
  const check = useAction();
  const launch = useAction();
  const edit = (value: string) => {
    setText(value);
    setPreview(undefined);
  };
  return (
    <>
      <h1>Launch a cohort</h1>
      <p>
        Start from a program file (see <code>examples/program.yaml</code>): upload it or paste it below, check
        it, read the emails it will send, then launch. Intake opens on the program's dates.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void check.run(async () => {
            const result = await api<Preview>('POST', '/programs/preview', text, 'text/yaml');
            setPreview(result);
            return `The program is valid: cohort "${result.cohortId}", ${result.emails.length} kinds of email over its timeline. Read them below, then launch.`;
          });
        }}
      >
        <div class="field">
          <label for="program-file">Program file (YAML or JSON)</label>
          <input
            id="program-file"
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            onChange={async (event) => {
              const file = (event.currentTarget as HTMLInputElement).files?.[0];
              if (file) edit(await file.text());
            }}
          />
        </div>
        <div class="field">
          <label for="program-text">…or paste it here</label>
          <textarea
            id="program-text"
            rows={16}
            spellcheck={false}
            value={text}
            onInput={(event) => edit((event.currentTarget as HTMLTextAreaElement).value)}
          />
        </div>
        <button type="submit" class="primary" disabled={check.busy || text.trim() === ''}>
          Check the program
        </button>
      </form>
      {check.view}
      {preview && (
        <section aria-labelledby="emails">
          <h2 id="emails">The emails of “{preview.program.name}”</h2>
          <p>As a sample mentor, mentee and the organizers will get them, in the order they go out.</p>
          {preview.emails.map((email) => (
            <details class="email" key={`${email.date}${email.audience}${email.kind}${email.round}`}>
              <summary>
                {email.date} · to the {email.audience} · {email.subject}
                {email.trigger ? ` (${email.trigger})` : ''}
              </summary>
              <pre>{email.text}</pre>
            </details>
          ))}
          <button
            type="button"
            class="primary"
            disabled={launch.busy}
            onClick={() =>
              void launch.run(async () => {
                const cohort = await api<{ id: string }>('POST', '/cohorts', preview.program);
                location.hash = `#/cohorts/${encodeURIComponent(cohort.id)}`;
                return `Cohort ${cohort.id} is launched.`;
              })
            }
          >
            Launch cohort {preview.cohortId}
          </button>
          {launch.view}
        </section>
      )}
    </>
  );
}
