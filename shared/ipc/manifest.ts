// The runtime list of every API method and push event. It has no dependencies so that the preload
// bridge and the browser test host can carry it; contract.ts proves it matches the API type both ways.
export const API_METHODS = {
  app: ['info', 'openHelp', 'copy'],
  settings: ['get', 'update'],
  profiles: ['list', 'save', 'delete', 'duplicate', 'export', 'importPreview', 'importApply', 'history'],
  signIn: ['start', 'signOut', 'cancel'],
  tests: ['run', 'runAll'],
  certificates: ['create', 'import', 'export', 'testNext', 'switchNext'],
  setup: ['update', 'openAdminConsent'],
  secrets: ['renew'],
  relay: ['status', 'start', 'stop', 'list', 'retryNow', 'remove', 'newPassword', 'revoke'],
} as const;

export const API_EVENTS = ['tests.progress', 'tests.allProgress', 'signIn.state', 'app.logFailure', 'relay.changed'] as const;

export type ApiMethods = typeof API_METHODS;
export type Namespace = keyof ApiMethods;
export type MethodOf<N extends Namespace> = ApiMethods[N][number];
export type EventName = (typeof API_EVENTS)[number];

const PREFIX = 'absender:';
export const channelOf = (ns: string, method: string): string => `${PREFIX}${ns}.${method}`;
export const eventChannelOf = (event: string): string => `${PREFIX}event:${event}`;
