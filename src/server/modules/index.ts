import type { ModuleManifest } from '../platform/http.js';
import { casesModule } from './cases/index.js';
import { evaluationModule } from './evaluation/index.js';
import { geoModule } from './geo/index.js';
import { open311Module } from './open311/index.js';
import { peopleModule } from './people/index.js';

/** Every domain module, in registration order. */
export const modules: ModuleManifest[] = [peopleModule, geoModule, casesModule, open311Module, evaluationModule];
