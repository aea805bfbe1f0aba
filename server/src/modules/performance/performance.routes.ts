import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const performanceRoutes: FastifyPluginAsyncZod = async () => {};
