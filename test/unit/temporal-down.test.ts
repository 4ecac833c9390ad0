// Which Temporal client errors mean "Temporal did not answer" (→ 503, or the read model instead of the
// live state), not a 500. The CANCELLED case was found by the cluster fault run (test/cluster): a query
// of a chain whose worker was just SIGKILLed ends with gRPC CANCELLED inside the SDK's ServiceError.
import { NamespaceNotFoundError, ServiceError } from '@temporalio/client';
import { isDatabaseDown, isTemporalDown, toHttpError } from '../../api/errors';

const grpc = (code: number, message: string) => Object.assign(new Error(message), { code });

it('a query cancelled after its deadline (worker just killed) is "Temporal down", not a 500', () => {
  const err = new ServiceError('Failed to query Workflow', { cause: grpc(1, '1 CANCELLED: Call cancelled') });
  expect(isTemporalDown(err)).toBe(true);
  expect(toHttpError(err).status).toBe(503);
});

it('a query while no worker polls is "Temporal down" too', () => {
  const cause = grpc(9, '9 FAILED_PRECONDITION: no poller seen for task queue recently, worker may be down');
  expect(isTemporalDown(new ServiceError('Failed to query Workflow', { cause }))).toBe(true);
});

it('other gRPC failures keep their meaning', () => {
  expect(
    isTemporalDown(new ServiceError('Failed to query Workflow', { cause: grpc(14, '14 UNAVAILABLE: No connection established') })),
  ).toBe(true);
  expect(isTemporalDown(new ServiceError('Failed to query Workflow', { cause: grpc(3, '3 INVALID_ARGUMENT: bad query') }))).toBe(false);
  expect(isTemporalDown(grpc(1, 'something else'))).toBe(false);
});

it('a Temporal server just restarted ("namespace not found" until its cache is loaded) is "Temporal down"', () => {
  const err = new NamespaceNotFoundError('default');
  expect(isTemporalDown(err)).toBe(true);
  expect(toHttpError(err).status).toBe(503);
});

it('a raw query on a connection PostgreSQL closed while restarting is "database down", not a 500', () => {
  // as Prisma throws it (P2010 around the driver adapter's message) — seen in the cluster fault run
  const err = Object.assign(
    new Error(
      '\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Server has closed the connection.`',
    ),
    {
      code: 'P2010',
    },
  );
  expect(isDatabaseDown(err)).toBe(true);
  expect(toHttpError(err).status).toBe(503);
  // pg, inside a transaction on such a connection (dev-server shape of the same run)
  expect(isDatabaseDown(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  expect(
    isDatabaseDown(Object.assign(new Error('Raw query failed. Code: `42P01`. Message: `relation does not exist`'), { code: 'P2010' })),
  ).toBe(false);
});
