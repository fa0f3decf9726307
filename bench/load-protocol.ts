/**
 * Messages between the bench (main thread, where the app runs) and the load worker (a worker
 * thread holding the load generator and the recording Slack API), so the client's own work does
 * not run on the app's event loop. Types only: both sides import them.
 */

export interface RunRequest {
  type: 'run';
  id: number;
  /** Base URL of the Bolt app under test (`POST <url>/slack/events`). */
  url: string;
  signingSecret: string;
  /** `/influencer` */
  command: string;
  /** Slash command texts, used round-robin (`show @creator42`, ...). */
  texts: string[];
  concurrency: number;
  /** Keep firing until this many ms have passed (and at least one request was sent)... */
  durationMs?: number;
  /** ...or until this many requests were sent, whichever comes first. */
  count?: number;
  /** Wait for the reply the user sees (response_url, chat.postEphemeral or views.open); floors only ack. */
  awaitReply: boolean;
  /** A reply whose text does not match `expect`, or matches `reject`, is an error (regex sources, flag i). */
  expect?: string;
  reject?: string;
  timeoutMs: number;
  teamId: string;
  userId: string;
  /**
   * Discord instead of Slack: each request posts this raw INTERACTION_CREATE payload (`d`) as JSON
   * to `url`, with its own id and token (`bench-<n>`) and the text as the focused option's value;
   * the reply is the interaction callback reaching the recording API.
   */
  discordTemplate?: Record<string, unknown>;
  /**
   * Slack's App Home instead of a slash command: each request is a signed `app_home_opened` event
   * (its own event id) for the user `texts[n % texts.length]`; the reply is the `views.publish` for
   * that user. Publishes of one user are matched to that user's requests in the order sent.
   */
  appHome?: boolean;
}

export interface RunResult {
  type: 'result';
  id: number;
  /** Requests fired, and those that got both their ack and (when awaited) a good reply. */
  sent: number;
  completed: number;
  errors: number;
  /** The first few error descriptions, shortened. */
  errorSamples: string[];
  /** ms from sending the request to the end of the HTTP response (the ack), per request. */
  ackMs: number[];
  /** ms from sending the request to the reply reaching the recording API, per request. */
  replyMs: number[];
  /** From the first request sent to the last one finished. */
  elapsedMs: number;
}

export interface ReadyMessage {
  type: 'ready';
  /** Base URL of the recording Slack API: Web API under `/api/`, response_urls under `/response/<n>`. */
  apiUrl: string;
}

export type WorkerRequest = RunRequest | { type: 'close' };
export type WorkerMessage = ReadyMessage | RunResult | { type: 'error'; id?: number; message: string };
