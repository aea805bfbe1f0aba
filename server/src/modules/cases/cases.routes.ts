import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const casesRoutes: FastifyPluginAsyncZod = async () => {};
