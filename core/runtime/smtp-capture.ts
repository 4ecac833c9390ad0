// Embedded SMTP capture for development and tests: a real SMTP server (smtp-server) on loopback
// that parses every message (mailparser) and keeps it for the dev inbox (page and API).
// Messages are appended to a JSON-lines file when a file is given, so the inbox survives restarts.
import fs from 'node:fs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  id: string;
  messageId?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  links: string[];
  receivedAt: string;
}

const LINK = /https?:\/\/[^\s"'<>]+/g;

export class SmtpCapture {
  private server?: SMTPServer;
  private mails: CapturedMail[] = [];
  private seq = 0;
  port = 0;

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      this.mails = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CapturedMail);
      this.seq = this.mails.length;
    }
  }

  async start(port: number): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      banner: 'KIM Flow SMTP-Capture',
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            const html = typeof parsed.html === 'string' ? parsed.html : '';
            const text = parsed.text ?? '';
            const mail: CapturedMail = {
              id: String(++this.seq),
              messageId: parsed.messageId,
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text,
              html,
              links: [...new Set(text.match(LINK) ?? [])],
              receivedAt: new Date().toISOString(),
            };
            this.mails.push(mail);
            if (this.file) fs.appendFileSync(this.file, JSON.stringify(mail) + '\n');
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => {
      /* client errors must not crash the app */
    });
    this.server = server;
    const addr = (server as unknown as { server: import('node:net').Server }).server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.port;
  }

  list(filter: { to?: string } = {}): CapturedMail[] {
    const to = filter.to?.toLowerCase();
    return this.mails.filter((m) => !to || m.to.includes(to));
  }

  clear() {
    this.mails = [];
    if (this.file) fs.writeFileSync(this.file, '');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
