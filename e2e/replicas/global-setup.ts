// Before the replicas specs: the run's own PostgreSQL database, three API replicas started
// together on it (they migrate once, under an advisory lock) sharing one Redis key prefix,
// and the round-robin proxy in front. After them: the replicas stopped by pid, the proxy
// closed, the database dropped, the prefix's keys deleted (never the rest of that Redis).
import pg from 'pg';
import { deleteKeysWithPrefix } from '../../servers/contacts-api/private-redis.ts';
import { REPLICA_COUNT, startReplica, stopReplica } from './api-replicas.ts';
import {
  databaseName,
  ports,
  postgresServer,
  redisKeyPrefix,
  redisServer,
  urls,
} from './replicas-env.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';

/** The one line a run without PostgreSQL or Redis fails with. */
const missing = (what: string, url: string, error: unknown) =>
  new Error(
    `missing prerequisite: ${what} at ${new URL(url).host} (${(error as Error).message}); the replicas environment needs it (README, "Prerequisites")`,
  );

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresServer });
  try {
    await client.connect();
  } catch (error) {
    throw missing('PostgreSQL', postgresServer, error);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(): Promise<void> {
  try {
    await deleteKeysWithPrefix(redisServer, redisKeyPrefix);
  } catch (error) {
    throw missing('Redis', redisServer, error);
  }
}

const replicas = Array.from({ length: REPLICA_COUNT }, (_, index) => index);

export default async function globalSetup(): Promise<() => Promise<void>> {
  await deleteRedisKeys(); // and learns early that Redis answers
  await onServer((client) => client.query(`CREATE DATABASE "${databaseName}"`));
  const stopAll = async () => {
    await Promise.all(replicas.map(stopReplica));
    await onServer((client) =>
      client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`),
    );
    await deleteRedisKeys();
  };
  try {
    await Promise.all(replicas.map(startReplica));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const proxy = await startRoundRobinProxy(replicas.map(urls.replica), {
    host: 'localhost',
    port: ports.proxy,
  });
  return async () => {
    await proxy.close();
    await stopAll();
  };
}
