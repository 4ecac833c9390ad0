// Which Temporal client errors mean "Temporal did not answer" (→ 503, or the read model instead of the
// live state), not a 500. The CANCELLED case was found by the cluster fault run (test/cluster): a query
// of a chain whose worker was just SIGKILLed ends with gRPC CANCELLED inside the SDK's ServiceError.
import { ServiceError } from '@temporalio/client';
import { isTemporalDown, toHttpError } from '../../api/errors';

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
