// The page's jobs worker: parses the user's file and estimates TV distances off the main thread.
import { tvDistances } from 'relu-density';
import type { JobReply, JobRequest } from './jobs.js';
import { parseFile } from './parse.js';

self.onmessage = async (e: MessageEvent<JobRequest>) => {
  const job = e.data;
  let reply: JobReply;
  try {
    if (job.kind === 'parse') {
      reply = { id: job.id, ok: true, kind: 'parse', value: await parseFile(job.file) };
    } else {
      reply = { id: job.id, ok: true, kind: 'tv', value: tvDistances(job.truth, job.estimate, { draws: job.draws, seed: job.seed }) };
    }
  } catch (err) {
    reply = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (reply.ok && reply.kind === 'parse') {
    (self as unknown as Worker).postMessage(reply, [reply.value.data.buffer]);
  } else {
    (self as unknown as Worker).postMessage(reply);
  }
};
