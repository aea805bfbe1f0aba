import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const reportingRoutes: FastifyPluginAsyncZod = async () => {};
