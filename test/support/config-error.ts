// The message of the ConfigError that loadConfig(env) throws (the test fails if it throws something else or nothing).
import { ConfigError, loadConfig } from '../../core/config';

export function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig hat nicht geworfen');
}
