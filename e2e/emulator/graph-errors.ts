/** Error shapes of Microsoft Graph (JSON error bodies with innerError): one entry per answer the emulator gives. */

/** Graph innerError.date: ISO without fraction and without zone. */
export function graphDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
}

export interface GraphErrorSpec {
  status: number;
  code: string;
  message: string;
  /** Extra members of innerError (e.g. TooManyRequests' code/status/message). */
  inner?: Record<string, string>;
  /** Some Exchange errors come without innerError. */
  noInnerError?: boolean;
}

export interface GraphErrorBody {
  error: { code: string; message: string; innerError?: Record<string, string> };
}

export function graphErrorBody(
  spec: GraphErrorSpec,
  t: { requestId: string; clientRequestId: string; now: number },
): GraphErrorBody {
  if (spec.noInnerError === true) return { error: { code: spec.code, message: spec.message } };
  return {
    error: {
      code: spec.code,
      message: spec.message,
      innerError: {
        ...spec.inner,
        date: graphDate(t.now),
        'request-id': t.requestId,
        'client-request-id': t.clientRequestId,
      },
    },
  };
}

export const GRAPH = {
  tokenEmpty: (): GraphErrorSpec => ({ status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' }),
  tokenExpired: (): GraphErrorSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Lifetime validation failed, the token is expired.',
  }),
  tokenNotYetValid: (): GraphErrorSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Access token has expired or is not yet valid.',
  }),
  tokenAudience: (): GraphErrorSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Access token validation failure. Invalid audience.',
  }),
  tokenInvalid: (): GraphErrorSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Access token validation failure.',
  }),
  accessDenied: (): GraphErrorSpec => ({
    status: 403,
    code: 'ErrorAccessDenied',
    message: 'Access is denied. Check credentials and try again.',
  }),
  odataDisabled: (): GraphErrorSpec => ({ status: 403, code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' }),
  insufficientPrivileges: (): GraphErrorSpec => ({
    status: 403,
    code: 'Authorization_RequestDenied',
    message: 'Insufficient privileges to complete the operation.',
  }),
  sendAsDenied: (): GraphErrorSpec => ({
    status: 403,
    code: 'ErrorSendAsDenied',
    message:
      'The user account which was used to submit this request does not have the right to send mail on behalf of ' +
      'the specified sending account. Cannot submit message.',
  }),
  invalidUser: (id: string): GraphErrorSpec => ({
    status: 404,
    code: 'ErrorInvalidUser',
    message: `The requested user '${id}' is invalid.`,
  }),
  resourceNotFound: (): GraphErrorSpec => ({
    status: 404,
    code: 'ResourceNotFound',
    message: 'Resource could not be discovered.',
  }),
  directoryObjectNotFound: (id: string): GraphErrorSpec => ({
    status: 404,
    code: 'Request_ResourceNotFound',
    message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  }),
  mailboxNotEnabled: (): GraphErrorSpec => ({
    status: 404,
    code: 'MailboxNotEnabledForRESTAPI',
    message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
  }),
  meWithAppToken: (): GraphErrorSpec => ({
    status: 400,
    code: 'BadRequest',
    message: '/me request is only valid with delegated authentication flow.',
  }),
  unreadableJson: (): GraphErrorSpec => ({
    status: 400,
    code: 'BadRequest',
    message: 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  }),
  emptyPayload: (): GraphErrorSpec => ({ status: 400, code: 'BadRequest', message: 'Empty Payload. JSON content expected.' }),
  requestBodyRead: (message: string): GraphErrorSpec => ({ status: 400, code: 'RequestBodyRead', message }),
  invalidRequest: (message: string): GraphErrorSpec => ({ status: 400, code: 'ErrorInvalidRequest', message }),
  invalidRecipients: (message: string): GraphErrorSpec => ({ status: 400, code: 'ErrorInvalidRecipients', message }),
  invalidBase64: (): GraphErrorSpec => ({
    status: 400,
    code: 'ErrorMimeContentInvalidBase64String',
    message: 'Invalid base64 string for MIME content.',
  }),
  segmentNotFound: (segment: string): GraphErrorSpec => ({
    status: 400,
    code: 'BadRequest',
    message: `Resource not found for the segment '${segment}'.`,
  }),
  methodNotAllowed: (): GraphErrorSpec => ({
    status: 405,
    code: 'Request_BadRequest',
    message: 'Specified HTTP method is not allowed for the request target.',
  }),
  badBatch: (message: string): GraphErrorSpec => ({ status: 400, code: 'BadRequest', message }),
  failedDependency: (): GraphErrorSpec => ({
    status: 424,
    code: 'FailedDependency',
    message: 'Failed dependency.',
  }),
  itemNotFound: (): GraphErrorSpec => ({
    status: 404,
    code: 'ErrorItemNotFound',
    message: 'The specified object was not found in the store.',
  }),
  // As recorded from Graph (microsoftgraph/microsoft-graph-docs#11806, O365/python-o365#472): HTTP 413, code BadRequest.
  requestTooLarge: (): GraphErrorSpec => ({
    status: 413,
    code: 'BadRequest',
    message: 'The maximum request length supported is 4MB.',
  }),
  // Outlook throttling answers come without innerError (reference §5.5); only MailboxConcurrency's text is recorded.
  applicationThrottled: (limit: string): GraphErrorSpec => ({
    status: 429,
    code: 'ApplicationThrottled',
    message: `Application is over its ${limit} limit.`,
    noInnerError: true,
  }),
  attachmentTooSmall: (): GraphErrorSpec => ({
    status: 400,
    code: 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize',
    message: 'Attachment size should not be less than the minimum size.',
  }),
  messageSizeExceeded: (): GraphErrorSpec => ({
    status: 400,
    code: 'ErrorMessageSizeExceeded',
    message: 'The message exceeds the maximum supported size.',
  }),
  invalidRange: (message: string): GraphErrorSpec => ({ status: 416, code: 'ErrorInvalidRange', message }),
  uploadUrlInvalid: (): GraphErrorSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'The upload session token is invalid or has expired.',
  }),
  // Fault-injection defaults (reference §5.6/5.7; 503/504 code strings unconfirmed).
  tooManyRequests: (): GraphErrorSpec => ({
    status: 429,
    code: 'TooManyRequests',
    message: 'Please retry again later.',
    inner: { code: '429', status: '429', message: 'Please retry after' },
  }),
  serviceUnavailable: (status: number): GraphErrorSpec => ({
    status,
    code: status === 504 ? 'UnknownError' : 'serviceNotAvailable',
    message: status === 504 ? 'Gateway timeout.' : 'Service unavailable.',
  }),
} as const;
