import { useState } from 'react';
import { get, post } from '../api';
import { ActForm, Id, Problem, Table, useLoad } from '../ui';

interface Account {
  accountId: string;
  name: string;
  email: string;
  roles: string[];
  locked: boolean;
  createdAt: string;
  createdBy: string;
}

const ROLES = ['reviewer', 'ops', 'admin'];

/** Admins add the people who work the queues, with the roles they need. */
export function StaffPage() {
  const { data, error, reload } = useLoad(() => get<Account[]>('/v1/staff'), []);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <section>
      <h1>Staff</h1>
      <Problem error={error} />
      {data ? (
        <Table caption="Staff accounts" head={['Name', 'E-mail', 'Roles', 'Locked', 'Added by', 'Added']}>
          {data.map((a) => (
            <tr key={a.accountId}>
              <td>{a.name}</td>
              <td>
                <Id value={a.email} />
              </td>
              <td>{a.roles.join(', ')}</td>
              <td>{a.locked ? 'locked' : 'no'}</td>
              <td>{a.createdBy}</td>
              <td>{a.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      <h2>Add a member of staff</h2>
      {added ? (
        <p role="status" className="notice">
          {added}
        </p>
      ) : null}
      <ActForm
        idPrefix="add-staff"
        label="Add"
        reasonLabel="First password (12 characters or more, given to them in person)"
        reasonRequired
        reasonType="password"
        extra={
          <>
            <label htmlFor="staff-name">Name</label>
            <input id="staff-name" name="name" required />
            <label htmlFor="staff-email">E-mail</label>
            <input id="staff-email" name="email" type="email" required />
            <fieldset>
              <legend>Roles</legend>
              {ROLES.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" name="roles" value={r} /> {r}
                </label>
              ))}
            </fieldset>
          </>
        }
        onAct={async (password, form) => {
          const account = await post<Account>('/v1/staff', {
            name: String(form.get('name')),
            email: String(form.get('email')),
            roles: form.getAll('roles').map(String),
            password,
          });
          setAdded(`Added ${account.name} (${account.email}) as ${account.roles.join(', ')}.`);
          reload();
        }}
      />
    </section>
  );
}
