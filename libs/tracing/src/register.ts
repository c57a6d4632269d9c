/** Imported on the first line of every main.ts, before anything else loads. */
import 'reflect-metadata';
import { startTracing } from './sdk';

startTracing();
