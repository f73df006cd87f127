/** jwg config module. */
package dev.jwg.config;
