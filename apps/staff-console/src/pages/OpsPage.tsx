/** The ops dashboard: charts over a chosen time range (filled in with the aggregate endpoints). */
export function OpsPage() {
  return (
    <section>
      <h1>Ops dashboard</h1>
    </section>
  );
}
