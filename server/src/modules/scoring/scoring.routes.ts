import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const scoringRoutes: FastifyPluginAsyncZod = async () => {};
