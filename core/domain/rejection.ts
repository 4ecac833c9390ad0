// Why an action is refused now — the answer of every validator in the domain. The workflows turn it
// into a non-retryable failure; the API maps WrongState → 409, InvalidInput → 400, Forbidden → 403.
export interface Rejection {
  type: 'WrongState' | 'InvalidInput' | 'Forbidden';
  message: string;
  details?: Array<{ field: string; message: string }>;
}

export const wrongState = (message: string): Rejection => ({ type: 'WrongState', message });
export const forbidden = (message: string): Rejection => ({ type: 'Forbidden', message });
export const invalid = (message: string, field: string, detail: string): Rejection => ({
  type: 'InvalidInput',
  message,
  details: [{ field, message: detail }],
});
