// The page gives the demo's model the package's strategy catalog once the module is initialised;
// the tests do the same with the package's Node entry, which initialises itself.
import { strategies } from "mlmask";
import { useCatalog } from "../src/model/strategies";

useCatalog(strategies());
