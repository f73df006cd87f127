/** jwg cli module. */
package dev.jwg.cli;
