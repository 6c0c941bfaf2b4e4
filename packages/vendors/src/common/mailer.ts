import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type SendMail = (mail: OutgoingMail) => Promise<void>;

/** Sends a vendor's mail over plain SMTP to 127.0.0.1:smtpPort, like any app on this machine would. */
export function createMailer(smtpPort: number, from: string): SendMail {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  return async (mail) => {
    await transport.sendMail({ from, ...mail });
  };
}
