/** Global setup of the system tests: they run the production build, so build it first (under two seconds). */
import { buildApp } from "../../scripts/lib/app-process";

export default function setup() {
  buildApp();
}
